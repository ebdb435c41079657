"""Interpreters turn a user's message into requirement judgments. Two implementations, one seam."""
