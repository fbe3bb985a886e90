"""Reading the machine-readable zone of a passport (TD3) or identity card (TD1) scan."""
