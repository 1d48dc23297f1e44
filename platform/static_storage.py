"""Static files with hashed names, compressed, served by WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Our browser scripts are ES modules that import each other ("./reply.js"): rewrite those
    # imports to the hashed names too, so a new release never mixes old and new modules.
    support_js_module_import_aggregation = True
