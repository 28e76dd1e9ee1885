"""Planning: projection workspace, Germany maps, infrastructure, budget, challenges (issue 8)."""
