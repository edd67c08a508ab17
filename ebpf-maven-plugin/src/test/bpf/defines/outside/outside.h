/* A header of an include directory outside the source directory. */
#pragma once
#define OUTSIDE_ONLY 0
