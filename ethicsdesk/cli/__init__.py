"""The CLI's commands, one module per subject. Each imports what it needs inside its body."""
