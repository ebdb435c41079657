"""Retrieval eval: labelled user queries scored by recall@5 and MRR."""
