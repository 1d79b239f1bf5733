"""The command-line layer: the only code that prints or exits."""
