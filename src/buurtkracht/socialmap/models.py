"""Models of the socialmap app."""
