"""Exit planning: suggested alternatives per usage or service, and an organisation's roadmap
of exit plans ordered by risk reduction per euro (ADR 0115–0119)."""
