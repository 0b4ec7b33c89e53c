"""Facts both renderings (CDKTF and HCL) and the module share, each defined once: names, outputs, versions,
resource addresses. Generated files are built from these and checked current by tests."""
