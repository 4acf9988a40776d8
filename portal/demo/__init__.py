"""The demo alliance (Bottrop-like), for `make run` and for trying the portal."""
