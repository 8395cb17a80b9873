"""The web interface's views: generic register pages, home pages and organisation settings."""
