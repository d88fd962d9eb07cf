"""Resume import: text extraction, field parsing, the parse pipeline, bulk import and candidate records."""
