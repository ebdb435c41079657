"""The dated remediation roadmap: grouped fixes in priority order, scheduled against the audit date."""

from agent.roadmap.build import build_roadmap
from agent.roadmap.models import PHASES, NotApplicable, Phase, Roadmap, RoadmapItem, Timeline

__all__ = ["PHASES", "NotApplicable", "Phase", "Roadmap", "RoadmapItem", "Timeline", "build_roadmap"]
