"""The earner's awards: what they hold, with the original credential and its verification."""
