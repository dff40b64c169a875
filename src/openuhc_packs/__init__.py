"""The country packs shipped with OpenUHC (docs/country-pack.md). Each is found through its entry point in the
`openuhc.country_packs` group, like a pack installed from elsewhere."""
