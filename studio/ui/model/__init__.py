"""The Model page: pick a base model, see what it is, choose target modules, see the cost."""
