"""Participation: co-creation processes, ideas, comments, votes, accountability (issue 11)."""
