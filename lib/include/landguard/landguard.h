/** landguard: the whole public API. */
#ifndef LANDGUARD_H
#define LANDGUARD_H
#include "landguard/core.h"
#include "landguard/crs.h"
#include "landguard/layer.h"
#include "landguard/landuse.h"
#include "landguard/rows.h"
#include "landguard/engine.h"
#include "landguard/overlay.h"
#include "landguard/quality.h"
#include "landguard/ledger.h"
#include "landguard/check.h"
#include "landguard/riverbuf.h"
#include "landguard/gwzone.h"
#include "landguard/render.h"
#include "landguard/workspace.h"
#include "landguard/postgis.h"
#endif
