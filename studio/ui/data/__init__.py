"""The Data page: open a data file, check how it is read, preview it and list its problems."""
