"""salesdev: the sales rep's offline, keyboard-first customer development app."""

__version__ = "0.1.0"
