#include "config.h"

#include "geo-error.h"

G_DEFINE_QUARK (geo-error-quark, geo_error)
