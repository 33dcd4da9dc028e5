"""Readers: one per input format. Pure: text or bytes in, records out, clear errors."""
