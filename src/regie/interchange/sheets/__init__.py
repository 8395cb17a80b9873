"""The spreadsheet layout (one sheet per register type) and its XLSX/CSV import and export."""
