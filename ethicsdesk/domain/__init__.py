"""Pure rules of ethicsdesk: records, frameworks, obligations, analysis. No I/O, no store, no faces."""
