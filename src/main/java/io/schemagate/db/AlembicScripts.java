package io.schemagate.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Alembic's conventions for finding its scripts, as Alembic 1.x resolves them from its ini file's
 * {@code [alembic]} section: {@code script_location} ({@code %(here)s} is the ini file's folder),
 * its {@code versions} folder unless {@code version_locations} lists others, every {@code .py} file
 * in them but {@code __init__.py} a revision, subfolders too with {@code recursive_version_locations}.
 */
public final class AlembicScripts {

    public static final String DEFAULT_TABLE = "alembic_version";
    public static final String DEFAULT_CONFIG = "alembic.ini";
    private static final String SECTION = "alembic";
    private static final Pattern SECTION_HEADER = Pattern.compile("^\\[([^]]+)]\\s*$");

    private AlembicScripts() {}

    /**
     * The revision graph of the scripts under {@code source}, configured by the ini file named
     * relative to it.
     *
     * @param imagePath where {@code source} was copied from in the application's image: absolute
     *     locations under it are read from the copy
     * @throws IllegalArgumentException when the configuration or a script cannot be read, naming it
     */
    public static RevisionGraph read(Path source, String configFile, String imagePath) {
        // Absolute, as %(here)s expands to an absolute folder that must compare with it.
        Path folder = source.toAbsolutePath().normalize();
        Path ini = folder.resolve(configFile).normalize();
        if (!Files.isRegularFile(ini)) {
            throw new IllegalArgumentException("no " + configFile + " in the source folder: set the source's path to "
                    + "the folder holding it, or spec.alembic.config to its name");
        }
        Map<String, String> options = section(ini);
        String location = options.get("script_location");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException(configFile + " has no script_location in its [alembic] section");
        }
        // ini is folder/configFile, so it has a parent folder.
        Path here = Objects.requireNonNull(ini.getParent(), "the ini file's folder");
        List<Path> versionFolders = new ArrayList<>();
        String versionLocations = options.get("version_locations");
        if (versionLocations == null || versionLocations.isBlank()) {
            versionFolders.add(folderOf(folder, here, location, configFile, "script_location", imagePath)
                    .resolve("versions"));
        } else {
            String separator = options.getOrDefault("version_path_separator", options.get("path_separator"));
            for (String entry : split(versionLocations, separator)) {
                versionFolders.add(folderOf(folder, here, entry, configFile, "version_locations", imagePath));
            }
        }
        boolean recursive = Boolean.parseBoolean(
                options.getOrDefault("recursive_version_locations", "false").trim());
        List<AlembicRevisionFile> files = new ArrayList<>();
        for (Path versions : versionFolders) {
            files.addAll(revisionFiles(folder, versions, recursive));
        }
        return RevisionGraph.of(files);
    }

    private static List<AlembicRevisionFile> revisionFiles(Path root, Path versions, boolean recursive) {
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        try (Stream<Path> paths = recursive ? Files.walk(versions) : Files.list(versions)) {
            List<Path> scripts = paths.filter(Files::isRegularFile)
                    .filter(path -> isRevisionFile(path.getFileName().toString()))
                    .sorted()
                    .toList();
            List<AlembicRevisionFile> files = new ArrayList<>();
            for (Path script : scripts) {
                files.add(AlembicRevisionFile.parse(
                        root.relativize(script).toString(), Files.readString(script, StandardCharsets.UTF_8)));
            }
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the scripts in " + root.relativize(versions) + ": " + e.getMessage(), e);
        }
    }

    /** Alembic skips package markers and editors' lock files; compiled files are ignored here. */
    static boolean isRevisionFile(String name) {
        return name.endsWith(".py") && !name.equals("__init__.py") && !name.startsWith(".#");
    }

    /**
     * Relative locations are relative to the working directory, which the Job sets to the folder of
     * the source, as Alembic resolves them.
     */
    private static Path folderOf(
            Path folder, Path here, String location, String configFile, String option, String imagePath) {
        String expanded = location.trim().replace("%(here)s", here.toString());
        if (expanded.contains("%(") || expanded.contains(":")) {
            throw new IllegalArgumentException(configFile + ": " + option + " '" + location + "' is not a folder "
                    + "SchemaGate can resolve (a package resource or another interpolation); use a path relative to "
                    + "the ini file, or %(here)s");
        }
        Path path = Path.of(expanded);
        if (path.isAbsolute() && !path.startsWith(folder)) {
            Path image = imagePath == null ? null : Path.of(imagePath);
            if (image == null || !path.startsWith(image)) {
                throw new IllegalArgumentException(configFile + ": " + option + " '" + location + "' is outside the "
                        + "source path" + (image == null ? "" : " " + image) + ", so the Job does not copy it");
            }
            return folder.resolve(image.relativize(path)).normalize();
        }
        return folder.resolve(path).normalize();
    }

    /**
     * Alembic's separators: the one the ini file names ({@code version_path_separator}, or 1.16's
     * {@code path_separator}), else spaces and commas.
     */
    private static List<String> split(String value, @Nullable String separator) {
        String pattern = switch (separator == null ? "" : separator.trim()) {
            case "space" -> " +";
            case "newline" -> "\\R";
            case ":", "colon", "os" -> ":";
            case ";", "semicolon" -> ";";
            case ",", "comma" -> ",";
            default -> "[\\s,]+";
        };
        return Stream.of(value.trim().split(pattern))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .toList();
    }

    /** The {@code [alembic]} section as ConfigParser reads it: indented lines continue the value above. */
    private static Map<String, String> section(Path ini) {
        List<String> lines;
        try {
            lines = Files.readAllLines(ini, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + ini.getFileName() + ": " + e.getMessage(), e);
        }
        Map<String, String> options = new LinkedHashMap<>();
        String current = null;
        String key = null;
        for (String line : lines) {
            var header = SECTION_HEADER.matcher(line);
            if (header.matches()) {
                current = header.group(1).trim();
                key = null;
                continue;
            }
            if (!SECTION.equals(current)
                    || line.isBlank()
                    || line.stripLeading().startsWith("#")
                    || line.stripLeading().startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && key != null) {
                options.merge(key, "\n" + line.trim(), String::concat);
                continue;
            }
            int equals = line.indexOf('=');
            int colon = line.indexOf(':');
            int split = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
            if (split > 0) {
                key = line.substring(0, split).trim().toLowerCase(Locale.ROOT);
                options.put(key, line.substring(split + 1).trim());
            }
        }
        return options;
    }
}
