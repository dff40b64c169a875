"""Test helpers shared by every app: the geography, a small provider network, and the personas.

Data is built through the services, as a real user would build it.
"""
