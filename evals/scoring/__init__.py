"""The scoring eval: plays fixtures against the engine and measures agreement with expert labels."""
