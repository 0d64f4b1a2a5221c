#!/usr/bin/env Rscript
# Reference Gi* z-scores from R spdep, for tests/geo/test-hotspot.c.
# Regenerate (needs r-cran-spdep): Rscript tests/data/make-gistar-reference.R tests/data/gistar-reference.csv
# A 14 x 10 grid of 500 m cells (centres in metres, UTM-like coordinates), counts from a seeded
# Poisson field with one hot block and one empty patch. For each distance band: neighbours are the
# cells whose centres are within the band (dnearneigh), the cell itself included (include.self),
# binary weights (nb2listw style "B"), z = localG. p is two-sided normal, p_bh its
# Benjamini-Hochberg adjustment (p.adjust).
suppressPackageStartupMessages(library(spdep))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "gistar-reference.csv"

set.seed(20261123)
nx <- 14; ny <- 10; cell <- 500; x0 <- 420000; y0 <- 9120000
cells <- expand.grid(ix = 0:(nx - 1), iy = 0:(ny - 1))   # ix fastest: row-major from the south
count <- rpois(nrow(cells), 2)
hot <- cells$ix >= 3 & cells$ix <= 5 & cells$iy >= 5 & cells$iy <= 7
count[hot] <- count[hot] + rpois(sum(hot), 9)
cold <- cells$ix >= 10 & cells$iy <= 2
count[cold] <- 0
coords <- cbind(x0 + (cells$ix + 0.5) * cell, y0 + (cells$iy + 0.5) * cell)

res <- NULL
for (band in c(500, 1000, 1500, 2200)) {
  nb <- dnearneigh(coords, 0, band)
  lw <- nb2listw(include.self(nb), style = "B", zero.policy = TRUE)
  z <- as.numeric(localG(count, lw, zero.policy = TRUE))
  p <- 2 * pnorm(-abs(z))
  res <- rbind(res, data.frame(band = band, ix = cells$ix, iy = cells$iy,
                               x = coords[, 1], y = coords[, 2], count = count,
                               z = sprintf("%.15g", z), p = sprintf("%.15g", p),
                               p_bh = sprintf("%.15g", p.adjust(p, "BH"))))
}
writeLines(sprintf("# spdep %s, R %s: dnearneigh(coords, 0, band) + include.self + nb2listw(style = \"B\") + localG",
                   packageVersion("spdep"), getRversion()), out)
suppressWarnings(write.table(res, out, sep = ",", row.names = FALSE, quote = FALSE, append = TRUE))
