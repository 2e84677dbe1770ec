"""The `needmatch` command line: a parser, and one module per group of commands."""
