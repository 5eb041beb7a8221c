"""Figures (stats/, every figure once) and the exports built from them (exports/)."""
