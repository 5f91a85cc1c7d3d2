"""The terminal face. Screens call the service; no SQL, no business rules here."""
