"""xornet: reproduction of Yang, Arora & Bachmann, 'Dissecting a Small Artificial Neural
Network', J. Phys. A 58, 025001 (2025), arXiv:2501.08341."""

__version__ = "0.1.0"
