"""SOC 2 gap-analysis agent."""
