"""A small deterministic software renderer for gmi's laterality pictures.

Body parts are modelled as signed distance fields (rounded cones, ellipsoids, rounded boxes blended with
smooth unions) posed by forward kinematics, and ray-marched in numpy on one CPU core: no GPU, no
network, no randomness except fixed seeds, so the same input always gives the same pixels.
"""
