"""Command-line interface: thin Typer commands over reckon's services."""
