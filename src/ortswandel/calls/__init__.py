"""Calls for model projects: applications, jury review, funding decisions (issue 10)."""
