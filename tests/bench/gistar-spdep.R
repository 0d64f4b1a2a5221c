#!/usr/bin/env Rscript
# Reference for tests/bench/run-hotspots.sh: Gi* on a 500 m grid with a 1 km band in R spdep,
# from the benchmark's points (UTM 49S x, y), with the same grid rule as jangkau (origin at a
# multiple of the cell size, every cell of the bounding grid, empty ones too).
#   Rscript gistar-spdep.R points.csv z-out.csv
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = TRUE)
cell <- 500; band <- 1000
t0 <- proc.time()[["elapsed"]]
pts <- read.csv(args[1], colClasses = c("NULL", "NULL", "numeric", "numeric"))
t1 <- proc.time()[["elapsed"]]
ix <- floor(pts$x / cell); iy <- floor(pts$y / cell)
ix0 <- min(ix); iy0 <- min(iy); nx <- max(ix) - ix0 + 1; ny <- max(iy) - iy0 + 1
count <- tabulate((iy - iy0) * nx + (ix - ix0) + 1, nbins = nx * ny)
cells <- expand.grid(ix = 0:(nx - 1), iy = 0:(ny - 1))
coords <- cbind((ix0 + cells$ix + 0.5) * cell, (iy0 + cells$iy + 0.5) * cell)
t2 <- proc.time()[["elapsed"]]
nb <- dnearneigh(coords, 0, band)
lw <- nb2listw(include.self(nb), style = "B")
t3 <- proc.time()[["elapsed"]]
z <- as.numeric(localG(count, lw))
t4 <- proc.time()[["elapsed"]]
write.csv(data.frame(cell_x = coords[, 1], cell_y = coords[, 2], count = count, z = sprintf("%.15g", z)),
          args[2], row.names = FALSE, quote = FALSE)
cat(sprintf("spdep %s: read.csv %.3f s, grid %.3f s, dnearneigh + listw %.3f s, localG %.3f s, total %.3f s (%d x %d cells)\n",
            packageVersion("spdep"), t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, nx, ny))
