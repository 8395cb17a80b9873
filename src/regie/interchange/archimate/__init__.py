"""ArchiMate Open Exchange Format (The Open Group, ArchiMate 3.1): import and export."""
