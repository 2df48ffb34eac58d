"""Raw → tidy: case records, indicator tables and boundaries."""
