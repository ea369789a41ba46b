/* suites.h - the suite and project resources, for the API and the console */
#ifndef OST_API_SUITES_H
#define OST_API_SUITES_H

#include "store/resource.h"

extern const struct resource suites_resource;
extern const struct resource projects_resource;

#endif
