/* version.h - the version of Ostium, from configure */
#ifndef OST_VERSION_H
#define OST_VERSION_H


#define OST_VERSION PACKAGE_VERSION

#endif
