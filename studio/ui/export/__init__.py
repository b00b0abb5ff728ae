"""The Export page: adapters, merged models and LoRA combinations, verified on the spot."""
