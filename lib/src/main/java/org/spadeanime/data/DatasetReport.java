package org.spadeanime.data;

import java.util.List;
import java.util.Locale;

/**
 * What {@link AnimeDataset#validate()} found.
 *
 * @param samples         examples that decoded
 * @param skipped         messages of the files skipped as bad
 * @param unmatched       fraction of all label pixels in no palette colour (read as background)
 * @param worstUnmatched  the largest per-label unmatched fraction
 * @param worstName       the example with that fraction
 * @param classFractions  pixel fraction per class code: [background, channel 0, channel 1, ...]
 */
public record DatasetReport(int samples, List<String> skipped, double unmatched, double worstUnmatched,
                            String worstName, double[] classFractions) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d samples, %d skipped; unmatched label pixels %.2f %% (worst %.2f %% in %s); class pixels:",
                samples, skipped.size(), 100 * unmatched, 100 * worstUnmatched, worstName));
        for (double f : classFractions) {
            sb.append(String.format(Locale.ROOT, " %.1f %%", 100 * f));
        }
        return sb.toString();
    }
}
