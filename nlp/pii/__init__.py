"""Recognisers of identifying details, one module per kind of detail, and the word lists they use."""
