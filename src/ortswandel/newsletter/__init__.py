"""Newsletter: subscriptions with double opt-in, issues, digests, one-click unsubscribe."""
