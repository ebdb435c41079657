"""The HTTP service: API, web widget and Slack endpoint on one FastAPI app."""
