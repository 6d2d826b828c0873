using System.Data;
using System.Data.Common;

namespace ChatOps.Integrations.Storage;

/// <summary>Small helpers that keep SQL call sites to one line each, on any engine's connection.</summary>
public static class DbExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return command;
    }

    /// <summary>Adds a parameter whose type the provider infers from <paramref name="value"/> (null is SQL NULL).</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a parameter of a fixed type, for a prepared command run many times with new values.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, DbType type)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public static Task<int> ExecuteAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.RunAsync(sql, transaction, parameters, command => command.ExecuteNonQueryAsync(cancellationToken));

    public static Task<object?> ScalarAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.RunAsync(sql, transaction, parameters, async command => await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? value : null);

    public static Task<List<T>> QueryAsync<T>(this DbConnection connection, string sql, DbTransaction? transaction, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.RunAsync(sql, transaction, parameters, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var results = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(map(reader));
            }

            return results;
        });

    // A kept command (ICommandCache) goes back to its connection only after it ran to the end; one that threw is
    // disposed, so a statement in an unknown state is never run again.
    private static async Task<T> RunAsync<T>(this DbConnection connection, string sql, DbTransaction? transaction, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run)
    {
        var command = connection.Rent(sql, transaction, parameters);
        try
        {
            var result = await run(command);
            connection.GiveBack(command);
            return result;
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    private static DbCommand Rent(this DbConnection connection, string sql, DbTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not ICommandCache cache)
        {
            return connection.Command(sql, transaction, parameters);
        }

        var command = cache.Rent(sql);
        command.Transaction = transaction;
        if (HasParameters(command, parameters))
        {
            // The same statement run again with the same names: its parameters take the new values.
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return command;
    }

    private static bool HasParameters(DbCommand command, (string Name, object? Value)[] parameters)
    {
        if (command.Parameters.Count != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(command.Parameters[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void GiveBack(this DbConnection connection, DbCommand command)
    {
        if (connection is ICommandCache cache)
        {
            cache.Return(command);
        }
        else
        {
            command.Dispose();
        }
    }

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTimestamp(this DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetNullableTimestamp(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
