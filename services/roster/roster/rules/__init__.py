"""Roster rules as versioned data: thresholds the law or the policy leaves to configuration."""
