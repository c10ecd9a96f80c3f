"""Schema, realistic generator and live simulator for the NTB Care demo and benchmark databases."""
