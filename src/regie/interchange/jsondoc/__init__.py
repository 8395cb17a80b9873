"""The lossless JSON document of one organisation, its JSON Schema, export and import."""
