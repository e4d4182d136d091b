"""Registry domain: identifiers and (later) registry records, free of any UI code."""
