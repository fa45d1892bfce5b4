"""Credential checks and model discovery: what a stored key is worth, asked of the provider."""
