"""Local fakes of remote APIs, served over real HTTP on 127.0.0.1."""
