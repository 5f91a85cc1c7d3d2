"""ethicsdesk: think an ethical dilemma through, one step at a time, and document why."""

__version__ = "0.1.0"
