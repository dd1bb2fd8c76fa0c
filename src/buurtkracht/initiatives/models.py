"""Models of the initiatives app."""
